// @ts-check
/**
 * The project's rule set, minus the `exclude` that keeps the fixtures out of the real check,
 * so the architecture test can cruise the fixtures with exactly the rules the project uses.
 */
const project = require('../../.dependency-cruiser.cjs');

const { exclude: _fixturesExcluded, ...options } = project.options ?? {};

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = { ...project, options };
