export * from './point';
export * from './segment';
export * from './polygon';
export * from './polyline';
export * from './box';
