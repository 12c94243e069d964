// node run.mjs <script.mjs>: imports the script with __ENV from the environment, drives two VUs through
// a few iterations of each scenario, and prints the options and the recorded requests as JSON.
import http, { requests } from './stubs/http.mjs';
import exec from './stubs/execution.mjs';

globalThis.__ENV = { ...process.env };
const script = await import(process.argv[2]);

const calls = [];
for (const [scenario, fn] of [['v1', 'listV1'], ['v2', 'listV2']]) {
  for (let iteration = 0; iteration < 3; iteration++) {
    exec.scenario.name = scenario;
    exec.scenario.iterationInTest = iteration;
    exec.vu.idInTest = 1;
    script[fn]();
    calls.push(fn);
  }
}

void http;
process.stdout.write(JSON.stringify({ options: script.options, requests, calls }));
