/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  clearMocks: true,
  collectCoverageFrom: ["src/**/*.ts", "!src/index.ts"],
};
