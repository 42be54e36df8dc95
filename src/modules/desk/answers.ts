import {
  getNamedType,
  getOperationAST,
  isLeafType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../graphql/context.ts';
import { parseGlobalID } from '../../graphql/global-id.ts';
import { ENTRY_RELATIONS } from './read.ts';
import type { DeskView } from './read.ts';

// A desk display asks the same question again and again: the same query text, with the same
// token, of a desk that mostly has not changed. The rows of an unchanged desk are already held
// (read.ts); this also holds the GraphQL answer built from them, so that executing the selection
// over every entry (most of a read's remaining cost) is done once per desk version.
//
// Only answers that depend on nothing but the desk's rows are held: the entries and the property,
// with fields that show their columns, and the entries' property, company, visitor, host and work
// order, with theirs. Those are exactly the rows whose versions make up the desk's version, so a
// held answer is given again only while every row it was built from is unchanged, whichever
// instance or hand changed it. The window and the cursor depend on the time and on the event log,
// compliance on expiry dates, other relations on rows the version does not cover: an operation
// that asks for any of them is executed every time. Resolvers may also depend on who asks, so the
// key holds the viewer's access fingerprint.

/** Leaf fields computed from their row alone, besides those that show a column and global ids. */
const COMPUTED_FROM_ROW = new Set(['WorkOrder.requestId']);

/** Whether the selections in `set`, of type `typeName`, ask only for what the desk's version covers. */
function coveredSelection(
  schema: GraphQLSchema,
  fragments: Record<string, FragmentDefinitionNode>,
  typeName: string,
  set: SelectionSetNode | undefined,
  relations: Record<string, 'entries' | 'row'>,
  seen = new Set<string>(),
): boolean {
  const type = schema.getType(typeName);
  if (!set || !isObjectType(type)) return false;
  const fields = type.getFields();
  return set.selections.every((selection) => {
    if (selection.directives?.some((d) => d.name.value !== 'skip' && d.name.value !== 'include')) return false;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition?.name.value ?? typeName;
      return on === typeName && coveredSelection(schema, fragments, typeName, selection.selectionSet, relations, seen);
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments[selection.name.value];
      if (!fragment || fragment.typeCondition.name.value !== typeName || seen.has(fragment.name.value)) return false;
      return coveredSelection(
        schema,
        fragments,
        typeName,
        fragment.selectionSet,
        relations,
        new Set([...seen, fragment.name.value]),
      );
    }
    const name = selection.name.value;
    if (name === '__typename') return true;
    const field = fields[name];
    if (!field || selection.arguments?.length) return false;
    const target = getNamedType(field.type);
    if (isLeafType(target)) {
      return name === 'id' || field.extensions.pothosExposedField === name || COMPUTED_FROM_ROW.has(`${typeName}.${name}`);
    }
    const next = relations[name];
    if (!next) return false;
    const below: Record<string, 'entries' | 'row'> = next === 'entries' ? ENTRY_ROWS : {};
    return coveredSelection(schema, fragments, target.name, selection.selectionSet, below, seen);
  });
}

/** Beneath an entry: the rows the desk's version covers, with their own columns only. */
const ENTRY_ROWS: Record<string, 'row'> = Object.fromEntries(Object.keys(ENTRY_RELATIONS).map((name) => [name, 'row']));

/** An operation whose answer may be held: where its property id comes from. */
interface Answerable {
  propertyId(variables: Record<string, unknown> | undefined): unknown;
  /** Tells this operation apart from every other, in keys. */
  id: number;
}

const answerables = new WeakMap<DocumentNode, Map<string, Answerable | null>>();
let nextId = 0;

/** A query asking only `visitorDesk(propertyId)` for fields the desk's version covers; else null. */
function answerable(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): Answerable | null {
  let byName = answerables.get(document);
  if (!byName) answerables.set(document, (byName = new Map()));
  const name = operationName ?? '';
  if (byName.has(name)) return byName.get(name)!;
  const operation = getOperationAST(document, operationName);
  const [root, ...more] = operation?.selectionSet.selections ?? [];
  const fragments = Object.fromEntries(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  ) as Record<string, FragmentDefinitionNode>;
  let found: Answerable | null = null;
  const argument = root?.kind === Kind.FIELD && root.arguments?.length === 1 ? root.arguments[0] : undefined;
  if (
    operation?.operation === 'query' &&
    more.length === 0 &&
    root?.kind === Kind.FIELD &&
    root.name.value === 'visitorDesk' &&
    !root.directives?.length &&
    argument?.name.value === 'propertyId' &&
    coveredSelection(schema, fragments, 'VisitorDesk', root.selectionSet, { entries: 'entries', property: 'row' })
  ) {
    const value = argument.value;
    if (value.kind === Kind.STRING) found = { id: ++nextId, propertyId: () => value.value };
    if (value.kind === Kind.VARIABLE) found = { id: ++nextId, propertyId: (variables) => variables?.[value.name.value] };
  }
  byName.set(name, found);
  return found;
}

/**
 * The answers held, by operation, viewer access and variables: each with the desk version it was
 * built from. At most `capacity` are held; the least recently given goes first.
 */
export class DeskAnswers {
  private readonly held = new Map<string, { version: string; data: unknown }>();
  /** Reads answered with a held answer (metric `desk_answers_reused_total`). */
  reused = 0;

  constructor(private readonly capacity = 200) {}

  get(key: string, version: string): unknown {
    const answer = this.held.get(key);
    if (answer?.version !== version) return undefined;
    this.held.delete(key);
    this.held.set(key, answer);
    this.reused++;
    return answer.data;
  }

  hold(key: string, version: string, data: unknown): void {
    this.held.delete(key);
    this.held.set(key, { version, data });
    if (this.held.size > this.capacity) this.held.delete(this.held.keys().next().value!);
  }
}

const HELD_VIEW = Symbol('desk view read for this operation');

/** The desk view this operation's root was given (by the plugin below), if it is of `propertyId`. */
export function viewReadAhead(root: unknown, propertyId: string): DeskView | null {
  const view = (root as { [HELD_VIEW]?: DeskView } | null | undefined)?.[HELD_VIEW];
  return view?.property.id === propertyId ? view : null;
}

/**
 * Answers an answerable desk read again while its desk's version holds. The desk is read first
 * (as the resolver would: the same access rule, the same service call); when the held answer was
 * built from this version it is the answer. Otherwise the operation executes with that read
 * handed to its resolver, so the answer held is built from exactly the version it is held under.
 * Anything else (other viewers, bad ids, errors) executes as usual and gives its usual answer.
 */
export function useDeskAnswers(): Plugin<Context> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const shape = answerable(args.schema, args.document, args.operationName);
      if (!shape) return;
      setExecuteFn(async (execution) => {
        const ctx = execution.contextValue as Context;
        const globalId = shape.propertyId(execution.variableValues ?? undefined);
        const property = typeof globalId === 'string' ? parseGlobalID(globalId) : null;
        if (property?.typename !== 'Property' || !ctx.access.worksDeskOf(property.id)) return executeFn(execution);
        // A read that fails here fails again in the resolver, which reports it as every failure is.
        const view = await ctx.desk
          .read(property.id, { withCursor: false, entries: null, withCompliance: false })
          .catch(() => null);
        if (!view) return executeFn(execution);
        const key = `${shape.id}:${ctx.access.fingerprint}:${JSON.stringify(execution.variableValues ?? {})}`;
        const data = ctx.desk.answers.get(key, view.version);
        if (data !== undefined) return { data };
        const result = await executeFn({ ...execution, rootValue: { [HELD_VIEW]: view } });
        if (!('errors' in result && result.errors?.length) && 'data' in result && result.data)
          ctx.desk.answers.hold(key, view.version, result.data);
        return result;
      });
    },
  };
}
