// What other modules may use of pos. Routes are registered by app.ts from pos.routes.ts.
export { requireDiscountAllowed, stockOverrideOf, type StockOverride } from './pos.service.ts';
export { findActiveDevice, deviceSigned, type ActiveDevice } from './devices.service.ts';
export { requireReplayApproval, type ReplayApprovalKind } from './replay-approvals.ts';
