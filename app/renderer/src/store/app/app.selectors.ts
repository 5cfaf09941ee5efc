import type { RootState } from '../root-state';

export const selectAppInfo = (s: RootState) => s.app.info;
export const selectConnection = (s: RootState) => s.app.connection;
export const selectDetection = (s: RootState) => s.app.detection;
export const selectModels = (s: RootState) => s.app.models;
export const selectModelsError = (s: RootState) => s.app.modelsError;
export const selectModelsBusy = (s: RootState) => s.app.modelsBusy;
export const selectFaceDetector = (s: RootState) => s.app.faceDetector;
/** True when the host said detection is off (not while unknown). */
export const selectDetectionOff = (s: RootState): boolean => s.app.detection?.state === 'off';
/** True while the link is down after having been up (banner). */
export const selectConnectionLost = (s: RootState): boolean => s.app.connection.state === 'reconnecting' || (s.app.connection.state === 'connecting' && s.app.connection.attempt > 1);
