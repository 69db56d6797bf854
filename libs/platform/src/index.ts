export * from './config/parse-config';
export * from './health/health-checks';
export * from './health/health.module';
export * from './mongo/mongo-connection';
export * from './kafka/messaging-health';
export * from './http/create-http-app';
export * from './errors/api-error';
export * from './errors/api-error.filter';
