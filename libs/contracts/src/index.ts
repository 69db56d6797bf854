export * from './envelope/envelope';
export * from './topics/topic-declaration';
export * from './topics/echo.topics';
export * from './topics/ledger.topics';
export * from './topics/all-topics';
export * from './groups';
export * from './envelope/issue-paths';
