/**
 * `audit --shard k/n`: each VM belongs to exactly one of n shards, chosen by a hash of its lower-cased resource
 * id — stable between the shard runs (whatever each run's enumeration order) and balanced by VM, not by
 * subscription, so one giant subscription is spread over every shard.
 */
import { createHash } from "node:crypto";

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `k/n` with 1 ≤ k ≤ n ≤ 10000, or the reason it is not. */
export function parseShard(text: string): Shard | string {
  const match = /^(\d{1,5})\/(\d{1,5})$/.exec(text.trim());
  if (!match) return `--shard must be k/n (e.g. 2/4), got '${text}'`;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > 10_000) return `--shard: n must be from 1 to 10000, got ${count}`;
  if (index < 1 || index > count) return `--shard: k must be from 1 to ${count}, got ${index}`;
  return { index, count };
}

/** The shard (1-based) of a VM id among `count`: the first 48 bits of SHA-1 of the lower-cased id, modulo count. */
export function shardOf(id: string, count: number): number {
  const digest = createHash("sha1").update(id.toLowerCase()).digest();
  return (digest.readUIntBE(0, 6) % count) + 1;
}

export function inShard(id: string, shard: Shard | undefined): boolean {
  return shard === undefined || shard.count === 1 || shardOf(id, shard.count) === shard.index;
}
