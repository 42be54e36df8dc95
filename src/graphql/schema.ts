import { builder } from './builder.ts';
import './errors.ts';
import './enums.ts';
import '../modules/organisation/schema.ts';
import '../modules/work-orders/schema.ts';
import '../modules/visits/schema.ts';
import '../modules/desk/schema.ts';
import '../modules/access/schema.ts';
import '../modules/audit/schema.ts';
import '../modules/compliance/schema.ts';
import '../modules/on-site/schema.ts';
import '../modules/evacuation/schema.ts';
import '../modules/webhooks/schema.ts';

export const schema = builder.toSchema({ sortSchema: false });
