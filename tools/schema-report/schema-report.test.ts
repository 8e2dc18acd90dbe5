import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOUNDED_LISTS, formatReport, reportSchema } from './schema-report';

const sdl = /* GraphQL */ `
"""An object with a global id."""
interface Node {
  id: ID!
}

type PageInfo {
  hasNextPage: Boolean!
}

"""A customer."""
type Profile implements Node {
  """Opaque global id."""
  id: ID!
  messages: [Message!]!
  orders(first: Int, after: String): OrderConnection!
  consent: [Message!]!
  status: String!
  traits: JSONObject
}

type Message {
  channel: Channel!
}

type OrderModel {
  total: Int!
}

type OrderEdge {
  node: OrderModel!
  cursor: String!
}

type OrderConnection {
  edges: [OrderEdge!]!
  pageInfo: PageInfo!
}

enum Channel {
  """Text message."""
  SMS
  EMAIL
}

scalar JSONObject

input RenameInput {
  name: String!
}

type RenamePayload {
  profile: Profile
}

type Query {
  """One customer."""
  profile("""The customer's id.""" userId: String!, kind: String): Profile
}

type Mutation {
  rename(input: RenameInput!): RenamePayload!
  forget(userId: String!): Boolean!
}
`;

describe('schema report', () => {
  const report = reportSchema(sdl);

  it('counts connections against growable plain lists, leaving out lists the schema bounds', () => {
    expect(BOUNDED_LISTS['Profile.consent']).toBeTruthy();
    expect(report.lists).toMatchObject({ count: 1, of: 2, percent: 50, connections: ['Profile.orders'], plainLists: ['Profile.messages'] });
  });

  it('counts mutations taking one input and returning a payload', () => {
    expect(report.mutations.singleInput).toEqual({ count: 1, of: 2, percent: 50 });
    expect(report.mutations.payload).toEqual({ count: 1, of: 2, percent: 50 });
    expect(report.mutations.withoutPayload).toEqual(['forget']);
  });

  it('counts entities with Node and an id, leaving out roots, payloads and paging types', () => {
    expect(report.identity.node).toEqual({ count: 1, of: 3, percent: 33.3 });
    expect(report.identity.withoutId).toEqual(['Message', 'OrderModel']);
  });

  it('counts what is described, per kind', () => {
    expect(report.descriptions.enumValues).toEqual({ count: 1, of: 2, percent: 50 });
    expect(report.descriptions.arguments).toEqual({ count: 1, of: 6, percent: 16.7 });
    expect(report.descriptions.types).toEqual({ count: 2, of: 13, percent: 15.4 });
  });

  it('counts closed sets held in Strings, JSONObject uses and …Model names', () => {
    expect(report.closedSets).toMatchObject({ count: 1, of: 3, strings: ['Profile.status', 'Query.profile(kind)'] });
    expect(report.jsonObject).toEqual({ uses: 1, where: ['Profile.traits'] });
    expect(report.modelSuffix).toEqual({ count: 1, names: ['OrderModel'] });
  });

  it('reads the committed schema and prints one percentage per convention', () => {
    const printed = formatReport(reportSchema(readFileSync(join(__dirname, '../../services/gateway/schema.gql'), 'utf8')));
    expect(printed).toMatch(/growable lists that are connections\s+[\d.]+ %/);
    expect(printed).toMatch(/everything described\s+[\d.]+ %/);
  });
});
