import { convoyProject } from '@convoy/vitest-preset';

export default convoyProject('playground');
