/**
 * Field paths as problems show them: `permissions[0].actions[1]`, the root is ``. A key that
 * would be ambiguous in that syntax is written as a JSON string: `principals["a.b"]`.
 */

const PLAIN_KEY = /^[^.[\]"\s]+$/;

export function childKey(parent: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

export const childIndex = (parent: string, index: number): string => `${parent}[${index}]`;

const LAST_SEGMENT = /^(.*?)(?:\.[^.[\]"\s]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/;

/** The enclosing path: `a.b[0]` → `a.b` → `a` → ``. */
export function parentPath(path: string): string {
  return LAST_SEGMENT.exec(path)?.[1] ?? '';
}

/** A JSON pointer as ajv reports it (`/permissions/0`) in our syntax; `root` tells indexes from keys. */
export function fromPointer(pointer: string, root: unknown): string {
  let path = '';
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      path = childIndex(path, Number(segment));
      node = node[Number(segment)];
    } else {
      path = childKey(path, segment);
      node =
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>)[segment]
          : undefined;
    }
  }
  return path;
}
