export const INGRESS_CONFIG = Symbol('ingress.config');
export const PINGS_COLLECTION = Symbol('ingress.pings');
