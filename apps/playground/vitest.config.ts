import { convoyProject } from '@convoy/vitest-preset';

// The e2e tests measure the page's main-thread tasks in wall time (no task over 50 ms while model 3
// trains: see the README's "Tests"), so they run after every other project and one file at a
// time: a test file training or compiling beside them on two cores stretches the page's tasks
// past 50 ms without the page doing more.
export default convoyProject('playground', {
  test: { sequence: { groupOrder: 1 }, fileParallelism: false },
});
