import {
  createSourceEventStream,
  execute,
  getOperationAST,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';

// A thousand desk displays watching one property run the same subscription. graphql-js
// would execute its selection once per subscriber for every event; this executes it once
// per event and operation and gives every subscriber the same result. Events opt in by
// offering `shared(key, produce)` (see FeedEvent in core/log-feed.ts); others execute as usual.
//
// What makes two subscriptions "the same operation": the same parsed document (Yoga's
// parser cache returns one object per query text), the same operation, and the same
// values for the variables the selection uses. Variables used only in the root field's
// arguments (propertyId, the resume cursor) pick the event stream, and the events are
// already per stream, so they do not split the sharing.
// What a result shows depends on what the subscriber may see, so the key holds their
// access fingerprint: subscribers with the same roles share, others don't.

interface SharedEvent {
  shared<T>(key: string, produce: () => T): T;
}

const isSharedEvent = (value: unknown): value is SharedEvent => typeof (value as SharedEvent | null)?.shared === 'function';

const operationIds = new WeakMap<DocumentNode, Map<string, { id: number; streamOnly: Set<string> }>>();
let nextId = 0;

/** The variables that only the root field's arguments use. */
function streamOnlyVariables(document: DocumentNode, operationName: string | null | undefined): Set<string> {
  const operation = getOperationAST(document, operationName);
  const root = operation?.selectionSet.selections[0];
  if (!operation || root?.kind !== 'Field') return new Set();
  const inRootArguments = new Set<string>();
  const elsewhere = new Set<string>();
  for (const argument of root.arguments ?? []) visit(argument, { Variable: (v) => void inRootArguments.add(v.name.value) });
  if (root.selectionSet) visit(root.selectionSet, { Variable: (v) => void elsewhere.add(v.name.value) });
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') visit(definition, { Variable: (v) => void elsewhere.add(v.name.value) });
  }
  return new Set([...inRootArguments].filter((name) => !elsewhere.has(name)));
}

function resultKey(args: ExecutionArgs): string {
  let byOperation = operationIds.get(args.document);
  if (!byOperation) operationIds.set(args.document, (byOperation = new Map()));
  const name = args.operationName ?? '';
  let operation = byOperation.get(name);
  if (!operation)
    byOperation.set(name, (operation = { id: ++nextId, streamOnly: streamOnlyVariables(args.document, name || null) }));
  const variables = Object.entries(args.variableValues ?? {})
    .filter(([key]) => !operation.streamOnly.has(key))
    .sort(([a], [b]) => a.localeCompare(b));
  const access = (args.contextValue as { access?: { fingerprint: string } } | undefined)?.access?.fingerprint ?? '';
  return `result:${operation.id}:${access}:${JSON.stringify(variables)}`;
}

export function useSharedEventResults(): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const source = await createSourceEventStream(args);
        if (!isAsyncIterable(source)) return source as ExecutionResult;
        const key = resultKey(args);
        const run = (event: unknown) => execute({ ...args, rootValue: event });
        return mapAsyncIterator(source, (event) => (isSharedEvent(event) ? event.shared(key, () => run(event)) : run(event)));
      });
    },
  };
}
