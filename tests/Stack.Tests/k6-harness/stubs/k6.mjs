export function check(value, checks) {
  return Object.values(checks).every((fn) => fn(value));
}
