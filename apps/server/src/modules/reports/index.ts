// What other modules may use of reports. Routes are registered by app.ts from reports.routes.ts.
export { todaySales, salesByHour } from './reports.service.ts';
