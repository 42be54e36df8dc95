import { builder } from './builder.ts';
import './types/errors.ts';
import './types/enums.ts';
import './types/organisation.ts';
import './types/work-order.ts';
import './types/visit.ts';
import '../modules/desk/schema.ts';
import './types/access.ts';
import './types/audit.ts';

export const schema = builder.toSchema({ sortSchema: false });
