import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

/**
 * Whether the field being resolved asks for the child field at `path` (e.g. "entries",
 * "compliance"), through fragments, honouring @skip/@include.
 */
export function selectsField(info: GraphQLResolveInfo, ...path: string[]): boolean {
  const included = (node: Parameters<typeof getDirectiveValues>[1]) =>
    getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true &&
    getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  const search = (set: SelectionSetNode | undefined, [name, ...rest]: string[]): boolean =>
    (set?.selections ?? []).some((s) => {
      if (!included(s)) return false;
      if (s.kind === Kind.FIELD) return s.name.value === name && (rest.length === 0 || search(s.selectionSet, rest));
      if (s.kind === Kind.INLINE_FRAGMENT) return search(s.selectionSet, [name, ...rest]);
      return search(info.fragments[s.name.value]?.selectionSet, [name, ...rest]);
    });
  return info.fieldNodes.some((node) => search(node.selectionSet, path));
}
