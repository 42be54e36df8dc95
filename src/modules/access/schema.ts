import { Role } from '../../generated/prisma/client.ts';
import * as apiTokens from './api-tokens.ts';
import * as roles from './roles.ts';
import { builder } from '../../graphql/builder.ts';
import { idOf, optionalIdOf } from '../../graphql/global-id.ts';
import { into, perform } from '../../graphql/perform.ts';
import { UserErrorRef } from '../../graphql/errors.ts';
import { UserRef } from '../organisation/schema.ts';

// Roles and API tokens: who may do what, and the credentials they do it with.

const RoleEnum = builder.enumType(Role, {
  name: 'Role',
  description:
    'ADMIN: everything. PROPERTY_MANAGER: work orders, visits and desk of one property. DESK: visits and desk of one property, reading its work orders. VENDOR: own assigned work orders and own visits.',
});

const RoleAssignmentRef = builder.prismaObject('RoleAssignment', {
  fields: (t) => ({
    role: t.expose('role', { type: RoleEnum }),
    property: t.relation('property', { nullable: true, description: 'Null for ADMIN and VENDOR.' }),
  }),
});

builder.prismaObjectField(UserRef, 'roles', (t) =>
  t.field({
    type: [RoleAssignmentRef],
    description:
      'Role assignments: all of them for administrators and the user themselves; others see those of their properties.',
    select: (_args, _ctx, nestedSelection) => ({ roles: nestedSelection({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }) }),
    resolve: (user, _args, ctx) => user.roles.filter((grant) => ctx.access.seesGrant(user.id, grant)),
  }),
);

const ApiTokenRef = builder.prismaNode('ApiToken', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, ctx) => ({ id, AND: [ctx.access.apiTokenWhere()] }),
  fields: (t) => ({
    label: t.exposeString('label', { nullable: true }),
    user: t.relation('user'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'To the minute.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

/** grantRole and revokeRole take the same input and answer with the user. */
function roleMutation(name: string, description: string, change: typeof roles.grantRole) {
  builder.relayMutationField(
    name,
    {
      inputFields: (t) => ({
        userId: t.id({ required: true }),
        role: t.field({ type: RoleEnum, required: true }),
        propertyId: t.id({ description: 'Required for PROPERTY_MANAGER and DESK; omitted for ADMIN and VENDOR.' }),
      }),
    },
    {
      description,
      resolve: (_root, { input }, ctx) =>
        perform(ctx, () =>
          into(
            'user',
            change({
              userId: idOf(input.userId, 'User', 'userId'),
              role: input.role,
              propertyId: optionalIdOf(input.propertyId, 'Property', 'propertyId'),
            }),
          ),
        ),
    },
    {
      outputFields: (t) => ({
        user: t.field({ type: UserRef, nullable: true, resolve: (p) => p.user }),
        userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
      }),
    },
  );
}

roleMutation('grantRole', 'ADMIN only. Granting a role the user already holds changes nothing.', roles.grantRole);
roleMutation(
  'revokeRole',
  "ADMIN only. The user's open subscriptions end; they may open them again with what they still hold.",
  roles.revokeRole,
);

builder.relayMutationField(
  'issueApiToken',
  {
    inputFields: (t) => ({
      userId: t.id({ required: true }),
      label: t.string({ description: 'What the token is for, e.g. "Lobby display".' }),
      expiresAt: t.field({ type: 'DateTime', description: 'Omit for a token that does not expire.' }),
    }),
  },
  {
    description: 'ADMIN only. The secret is in this response only; the server keeps just its hash.',
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () => apiTokens.issueApiToken({ ...input, userId: idOf(input.userId, 'User', 'userId') })),
  },
  {
    outputFields: (t) => ({
      token: t.string({
        nullable: true,
        description: 'The secret, shown only in this response: send it as "Authorization: Bearer <token>".',
        resolve: (p) => p.token,
      }),
      apiToken: t.field({ type: ApiTokenRef, nullable: true, resolve: (p) => p.apiToken }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);

builder.relayMutationField(
  'revokeApiToken',
  { inputFields: (t) => ({ apiTokenId: t.id({ required: true }) }) },
  {
    description: "ADMIN, or the token's own user. Effective from the next request; the token's open subscriptions end at once.",
    resolve: (_root, { input }, ctx) =>
      perform(ctx, () => into('apiToken', apiTokens.revokeApiToken(idOf(input.apiTokenId, 'ApiToken', 'apiTokenId')))),
  },
  {
    outputFields: (t) => ({
      apiToken: t.field({ type: ApiTokenRef, nullable: true, resolve: (p) => p.apiToken }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
    }),
  },
);
