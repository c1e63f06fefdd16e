// A README's install line and runnable example: the `## Install` section holds a ```sh block with
// `npm install …` and then the first ```js or ```ts block, which must run as it stands.

export interface ReadmeExample {
  /** The npm install command line. */
  install: string;
  /** The example's source (TypeScript without type annotations is valid JavaScript). */
  code: string;
}

export function readmeExample(markdown: string, where: string): ReadmeExample {
  const section = /^## Install[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  if (!section) throw new Error(`${where}: expected a "## Install" section, found none`);
  const body = section[1]!;
  const install = /^npm install [^\n]+$/m.exec(body);
  if (!install) throw new Error(`${where}: the "## Install" section has no "npm install …" line`);
  const example = /^```(?:js|ts)\n([\s\S]*?)^```/m.exec(body);
  if (!example)
    throw new Error(`${where}: the "## Install" section has no \`\`\`js or \`\`\`ts example block`);
  return { install: install[0], code: example[1]! };
}
