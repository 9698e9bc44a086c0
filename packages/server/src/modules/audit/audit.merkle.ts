import { createHash } from 'node:crypto';
import { canonicalJson } from './audit.hash.ts';

/** Prefix of a leaf's preimage: a leaf can never be passed off as an inner node (second-preimage attacks). */
const leafTag = Buffer.from([0x00]);
/** Prefix of an inner node's preimage. */
const nodeTag = Buffer.from([0x01]);

const sha256 = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest('hex');

/** The Merkle leaf of one event: binds the event's id to its content hash, so renumbering an event shows. */
export function merkleLeaf(eventId: number, eventHash: string): string {
  return sha256(leafTag, Buffer.from(`${eventId}:${eventHash}`, 'utf8'));
}

/** An inner node over two children (hex digests). */
export function merkleNode(left: string, right: string): string {
  return sha256(nodeTag, Buffer.from(left, 'hex'), Buffer.from(right, 'hex'));
}

/**
 * Root over leaves in the given order (the block's events by id). Pairs are hashed left to right; an odd last node is
 * carried up unchanged (never duplicated, so [a, b, c] and [a, b, c, c] differ). A block always has at least one leaf.
 */
export function merkleRoot(leaves: readonly string[]): string {
  if (leaves.length === 0) throw new Error('a Merkle tree needs at least one leaf');
  let level = [...leaves];
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? merkleNode(level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

/** The fields of a sealed block that its hash covers. */
export interface AuditBlockHashInput {
  seq: number;
  sealedAt: Date;
  eventCount: number;
  firstEventId: number;
  lastEventId: number;
  merkleRoot: string;
  prevHash: string;
}

/** SHA-256 over the previous block's hash and this block's header: changing or removing a block breaks the next link. */
export function hashAuditBlock(block: AuditBlockHashInput): string {
  const body = canonicalJson([
    'portico-audit-block-v1',
    block.prevHash,
    block.seq,
    block.merkleRoot,
    block.eventCount,
    block.firstEventId,
    block.lastEventId,
    block.sealedAt.toISOString(),
  ]);
  return createHash('sha256').update(body, 'utf8').digest('hex');
}
