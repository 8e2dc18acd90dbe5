/**
 * Whose payload is it? Every payload Continuum hands Temporal is marked with the workspace and the
 * customer it belongs to, so that the encryption codec (libs/data/src/crypto) encrypts it under that
 * customer's data key — and erasing the customer (crypto-shredding) makes it unreadable.
 *
 * This module is the data converter's payload converter and failure converter (the worker bundles
 * it into the workflow sandbox: it imports nothing from Node). The owner of a value, in order:
 * 1. a value wrapped with `owned(value, owner)` (activity results, see `payloadOwnerActivityInterceptor`);
 * 2. the value itself when it names one: an object with a string `workspaceId` and a string
 *    `userId` or `customerId` (a journey's input, a customer event, most activity inputs), or only a
 *    `workspaceId` (the workspace's own payload);
 * 3. the ambient owner: inside a workflow, the owner of the payloads it was started or signalled with
 *    (remembered per run); outside, the one `withPayloadOwner` set for the call (Node only).
 * A payload with an owner carries it as the metadata `continuum-workspace-id` and
 * `continuum-customer-id`; the codec takes them into the ciphertext (only the customer id stays in
 * clear). A payload without an owner is encrypted under the default workspace's own key.
 */
import { DefaultFailureConverter, defaultPayloadConverter, type Payload, type PayloadConverter } from '@temporalio/common';
import { inWorkflowContext, workflowInfo } from '@temporalio/workflow';

export interface PayloadOwner {
  workspaceId: string;
  /** The customer (user id); none for the workspace's own payloads (a broadcast's plan, a policy). */
  customerId?: string;
}

/** Metadata a converted payload carries (inside the ciphertext once encoded). */
export const PAYLOAD_WORKSPACE_METADATA = 'continuum-workspace-id';
export const PAYLOAD_CUSTOMER_METADATA = 'continuum-customer-id';

const OWNED = Symbol.for('continuum.payload-owner.owned');

interface Owned {
  [OWNED]: true;
  value: unknown;
  owner: PayloadOwner;
}

/** A value marked with its owner: converted as the value itself, with the owner's metadata. */
export function owned(value: unknown, owner: PayloadOwner | undefined): unknown {
  return owner ? ({ [OWNED]: true, value, owner } satisfies Owned) : value;
}

function isOwned(value: unknown): value is Owned {
  return typeof value === 'object' && value !== null && (value as Partial<Owned>)[OWNED] === true;
}

const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** The owner a value names itself: `{ workspaceId, userId | customerId }`, or `{ workspaceId }` alone. */
export function ownerOf(value: unknown): PayloadOwner | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (!nonEmpty(record['workspaceId'])) return undefined;
  const customer = nonEmpty(record['userId']) ? record['userId'] : nonEmpty(record['customerId']) ? record['customerId'] : undefined;
  return customer === undefined ? { workspaceId: record['workspaceId'] } : { workspaceId: record['workspaceId'], customerId: customer };
}

/** A more specific owner wins: one naming a customer over one naming only the workspace. */
function better(a: PayloadOwner | undefined, b: PayloadOwner | undefined): PayloadOwner | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.customerId === undefined && b.customerId !== undefined && a.workspaceId === b.workspaceId ? b : a;
}

// ---- the ambient owner ---------------------------------------------------------------------------

/** Per workflow run, the owner of what it was started or signalled with (in the sandbox's globals). */
const RUN_OWNERS_LIMIT = 50_000;
function runOwners(): Map<string, PayloadOwner> {
  const holder = globalThis as { __continuumRunOwners?: Map<string, PayloadOwner> };
  holder.__continuumRunOwners ??= new Map();
  return holder.__continuumRunOwners;
}

function rememberRunOwner(owner: PayloadOwner): void {
  const runId = workflowInfo().runId;
  const owners = runOwners();
  const known = owners.get(runId);
  const chosen = better(known, owner);
  if (chosen === known) return;
  owners.delete(runId);
  owners.set(runId, chosen!);
  // Bounded: the oldest runs go first (a run that comes back remembers again from its next payload).
  while (owners.size > RUN_OWNERS_LIMIT) owners.delete(owners.keys().next().value as string);
}

type OwnerContext = () => PayloadOwner | undefined;
const OWNER_CONTEXT = Symbol.for('continuum.payload-owner.context');

/** Outside workflows: installs how the ambient owner is found (see payload-owner-context.ts). */
export function installOwnerContext(context: OwnerContext): void {
  (globalThis as { [OWNER_CONTEXT]?: OwnerContext })[OWNER_CONTEXT] = context;
}

function ambientOwner(): PayloadOwner | undefined {
  if (inWorkflowContext()) return runOwners().get(workflowInfo().runId);
  return (globalThis as { [OWNER_CONTEXT]?: OwnerContext })[OWNER_CONTEXT]?.();
}

// ---- the converters ------------------------------------------------------------------------------

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** The payload's owner from its metadata, if it was marked. */
export function payloadOwnerOf(payload: Payload): PayloadOwner | undefined {
  const workspace = payload.metadata?.[PAYLOAD_WORKSPACE_METADATA];
  if (!workspace) return undefined;
  const customer = payload.metadata?.[PAYLOAD_CUSTOMER_METADATA];
  return customer ? { workspaceId: text.decode(workspace), customerId: text.decode(customer) } : { workspaceId: text.decode(workspace) };
}

/** Temporal's default conversion (JSON, binary, null, protobuf), with the owner marked on each payload. */
export class OwnerMarkingPayloadConverter implements PayloadConverter {
  toPayload<T>(value: T): Payload {
    const inner = isOwned(value) ? value.value : value;
    const owner = isOwned(value) ? value.owner : better(ownerOf(value), ambientOwner());
    const payload = defaultPayloadConverter.toPayload(inner);
    if (!owner) return payload;
    const metadata: Record<string, Uint8Array> = { ...payload.metadata, [PAYLOAD_WORKSPACE_METADATA]: utf8.encode(owner.workspaceId) };
    if (owner.customerId !== undefined) metadata[PAYLOAD_CUSTOMER_METADATA] = utf8.encode(owner.customerId);
    return { ...payload, metadata };
  }

  fromPayload<T>(payload: Payload): T {
    if (inWorkflowContext()) {
      const owner = payloadOwnerOf(payload);
      if (owner) rememberRunOwner(owner);
    }
    return defaultPayloadConverter.fromPayload<T>(payload);
  }
}

/** The export `dataConverter.payloadConverterPath` expects (see payload-owner-context.ts for the path). */
export const payloadConverter = new OwnerMarkingPayloadConverter();
/**
 * The export `dataConverter.failureConverterPath` expects: a failure's message and stack trace travel
 * as an encoded payload (so the codec encrypts them too); in the history the message reads "Encoded failure".
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
