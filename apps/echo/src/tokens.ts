export const ECHO_REPLICA = Symbol('echo.replica');
