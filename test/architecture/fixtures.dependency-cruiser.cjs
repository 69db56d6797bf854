// @ts-check
/**
 * The project's rule set, minus the `exclude` that keeps the fixtures out of the real check,
 * so the architecture test cruises the fixtures with exactly the rules the project uses.
 */
const project = require('../../.dependency-cruiser.cjs');

const options = { ...project.options };
delete options.exclude;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = { ...project, options };
