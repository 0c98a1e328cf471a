// What other modules may use of inventory (orders take stock through the engine). Routes are registered by app.ts
// from inventory.routes.ts.
export {
  applyStockMovements,
  findShortStock,
  getStockLevels,
  getStockPolicy,
  insufficientStock,
  type ShortLine,
  type StockLevel,
  type StockMovementInput,
  type StockMovementLine,
  type StockPolicy,
  type StockReason,
} from './inventory.engine.ts';
export {
  adjustStock,
  receiveOpeningStock,
  setThreshold,
  type OpeningStock,
  type OpeningStockLine,
} from './inventory.service.ts';
