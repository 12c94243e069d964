// The run.mjs driver moves these between calls to imitate VUs and iterations.
export default {
  scenario: { name: 'v1', iterationInTest: 0 },
  vu: { idInTest: 1 },
};
