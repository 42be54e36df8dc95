import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionArgs } from 'graphql';
import { createPubSub, createSchema, createYoga } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

// The floor of the stack: graphql-yoga + graphql-ws wired as in the yoga graphql-ws recipe,
// an in-process createPubSub, a mutation that publishes and a subscription that yields a
// small object. No database, no authentication, no per-event reads. The desk benchmark
// drives it with the same client harness as the real server (bench/desk-fanout.ts).
//
// Environment: PORT (default 0: any free port), HOST (default 127.0.0.1).
// Prints "Baseline server on http://HOST:PORT/graphql" once it listens.

interface Tick {
  seq: number;
  kind: string;
  occurredAt: string;
  notes: string;
}

const pubSub = createPubSub<{ tick: [payload: Tick] }>();

const yoga = createYoga({
  schema: createSchema({
    typeDefs: /* GraphQL */ `
      type Query {
        ok: Boolean!
      }
      type Mutation {
        "Publishes one tick to every subscriber; the seq identifies it."
        publish(seq: Int!): Boolean!
      }
      type Tick {
        seq: Int!
        kind: String!
        occurredAt: String!
        notes: String!
      }
      type Subscription {
        ticks: Tick!
      }
    `,
    resolvers: {
      Query: { ok: () => true },
      Mutation: {
        publish: (_root: unknown, args: { seq: number }) => {
          pubSub.publish('tick', {
            seq: args.seq,
            kind: 'VISIT_UPDATED',
            occurredAt: new Date().toISOString(),
            notes: `n${args.seq}`,
          });
          return true;
        },
      },
      Subscription: {
        ticks: { subscribe: () => pubSub.subscribe('tick'), resolve: (tick: Tick) => tick },
      },
    },
  }),
  logging: 'warn',
  landingPage: false,
  graphiql: false,
});

const http = createServer(yoga);
const wsServer = new WebSocketServer({ server: http, path: yoga.graphqlEndpoint });

type Enveloped = { execute(args: ExecutionArgs): unknown; subscribe(args: ExecutionArgs): unknown };

useServer(
  {
    execute: (args: ExecutionArgs) => (args.rootValue as Enveloped).execute(args) as never,
    subscribe: (args: ExecutionArgs) => (args.rootValue as Enveloped).subscribe(args) as never,
    onSubscribe: async (ctx, _id, params) => {
      const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
        ...ctx,
        req: ctx.extra.request,
        socket: ctx.extra.socket,
        params,
      });
      const args = {
        schema,
        operationName: params.operationName,
        document: parse(params.query),
        variableValues: params.variables,
        contextValue: await contextFactory(),
        rootValue: { execute, subscribe },
      };
      const errors = validate(args.schema, args.document);
      if (errors.length) return errors;
      return args;
    },
  },
  wsServer,
);

const host = process.env.HOST || '127.0.0.1';
http.listen(Number(process.env.PORT || 0), host, () => {
  const { port } = http.address() as AddressInfo;
  process.stdout.write(`Baseline server on http://${host}:${port}${yoga.graphqlEndpoint}\n`);
});

const stop = () => {
  wsServer.clients.forEach((socket) => socket.terminate());
  http.close(() => process.exit(0));
  http.closeAllConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
