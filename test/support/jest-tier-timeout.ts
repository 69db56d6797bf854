// Integration, e2e and chaos tests wait on real brokers and processes; their tier sets the budget.
jest.setTimeout((globalThis as { BULWARK_TEST_TIMEOUT_MS?: number }).BULWARK_TEST_TIMEOUT_MS ?? 5000);
