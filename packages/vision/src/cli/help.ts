// The help text of `convoy-vision filter` (kept apart so the command and the dispatcher share it).

export const FILTER_HELP = `convoy-vision filter [input.png] [options]

Reads a PNG (default: the built-in sample cube), turns it gray as OpenCV's cvtColor does, filters
it with a kernel (zero padding, values clipped to 0..255 and truncated, as the chapter's uint8
array stores them), optionally max-pools it, and writes the result or a labelled figure.

Options:
  -k, --kernel <name|matrix>  a catalogue name (see 'convoy-vision kernels') or a matrix such as
                              "-1,-1,-1; -1,8,-1; -1,-1,-1" or "1 1 1; 1 1 1; 1 1 1 / 9" (default edge)
  -p, --padding <mode>        zero (default, the chapter's), replicate or reflect
      --pool <size>           max-pool the filtered image with size x size windows (the chapter: 2)
  -f, --figure                write gray | convolution [| max_pooled] side by side with labels
      --color                 filter each colour channel instead of converting to gray first
  -w, --workers <n|auto>      worker threads for the convolution (default auto: all cores for
                              images of 512x512 pixels or more when the package is built, else
                              this thread: run from source, workers take ~2 s to start)
  -o, --output <out.png>      where to write (default <kernel>.png or <kernel>-figure.png); with
                              --figure, a name ending .svg writes the figure as SVG
  -q, --quiet                 print nothing but errors
  -h, --help                  this help
`;
