/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ConsoleSignInCheck {\n    journeys {\n      id\n    }\n  }\n": typeof types.ConsoleSignInCheckDocument,
    "\n  query ConsoleCustomer($userId: String!) {\n    profile(userId: $userId) {\n      id\n      userId\n      email\n      phone\n      country\n      locale\n      timezone\n      createdAt\n      updatedAt\n      traits\n      identities(first: 50) {\n        nodes {\n          id\n          kind\n          value\n          source\n          lastSeenAt\n        }\n      }\n      consent {\n        channel\n        purpose\n        status\n        source\n        updatedAt\n      }\n      journeyInstances(first: 20) {\n        nodes {\n          id\n          journeyId\n          key\n          status\n          currentStep\n          startedAt\n          exitReason\n        }\n      }\n      timeline(first: 50) {\n        nodes {\n          __typename\n          id\n          at\n          kind\n          ... on ProfileEvent {\n            call: type\n            name\n          }\n          ... on TimelineEntry {\n            entry: type\n            step\n          }\n          ... on Message {\n            channel\n            status\n            to\n            step\n          }\n          ... on OperatorAuditEntry {\n            action\n            outcome\n            target\n          }\n        }\n      }\n    }\n  }\n": typeof types.ConsoleCustomerDocument,
    "\n  subscription ConsoleCustomerActivity($userId: String!) {\n    customerActivity(userId: $userId) {\n      cursor\n    }\n  }\n": typeof types.ConsoleCustomerActivityDocument,
    "\n  query ConsoleJourneys {\n    journeys {\n      id\n      key\n      description\n      status\n      version\n      instances {\n        active\n        completed\n        exited\n      }\n    }\n  }\n": typeof types.ConsoleJourneysDocument,
    "\n  mutation ConsolePauseJourney($input: PauseJourneyInput!) {\n    pauseJourney(input: $input) {\n      journey {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.ConsolePauseJourneyDocument,
    "\n  mutation ConsoleResumeJourney($input: ResumeJourneyInput!) {\n    resumeJourney(input: $input) {\n      journey {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.ConsoleResumeJourneyDocument,
    "\n  mutation ConsoleArchiveJourney($input: ArchiveJourneyInput!) {\n    archiveJourney(input: $input) {\n      journey {\n        id\n        status\n        instances {\n          active\n          completed\n          exited\n        }\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.ConsoleArchiveJourneyDocument,
    "\n  query ConsoleSearchCustomers($query: ProfileSearchInput!) {\n    searchProfiles(query: $query, first: 20) {\n      totalCount\n      nodes {\n        id\n        userId\n        email\n        phone\n        journeyInstances(first: 10) {\n          totalCount\n          nodes {\n            id\n            journeyId\n            key\n            status\n            currentStep\n            startedAt\n            exitReason\n          }\n        }\n      }\n    }\n  }\n": typeof types.ConsoleSearchCustomersDocument,
};
const documents: Documents = {
    "\n  query ConsoleSignInCheck {\n    journeys {\n      id\n    }\n  }\n": types.ConsoleSignInCheckDocument,
    "\n  query ConsoleCustomer($userId: String!) {\n    profile(userId: $userId) {\n      id\n      userId\n      email\n      phone\n      country\n      locale\n      timezone\n      createdAt\n      updatedAt\n      traits\n      identities(first: 50) {\n        nodes {\n          id\n          kind\n          value\n          source\n          lastSeenAt\n        }\n      }\n      consent {\n        channel\n        purpose\n        status\n        source\n        updatedAt\n      }\n      journeyInstances(first: 20) {\n        nodes {\n          id\n          journeyId\n          key\n          status\n          currentStep\n          startedAt\n          exitReason\n        }\n      }\n      timeline(first: 50) {\n        nodes {\n          __typename\n          id\n          at\n          kind\n          ... on ProfileEvent {\n            call: type\n            name\n          }\n          ... on TimelineEntry {\n            entry: type\n            step\n          }\n          ... on Message {\n            channel\n            status\n            to\n            step\n          }\n          ... on OperatorAuditEntry {\n            action\n            outcome\n            target\n          }\n        }\n      }\n    }\n  }\n": types.ConsoleCustomerDocument,
    "\n  subscription ConsoleCustomerActivity($userId: String!) {\n    customerActivity(userId: $userId) {\n      cursor\n    }\n  }\n": types.ConsoleCustomerActivityDocument,
    "\n  query ConsoleJourneys {\n    journeys {\n      id\n      key\n      description\n      status\n      version\n      instances {\n        active\n        completed\n        exited\n      }\n    }\n  }\n": types.ConsoleJourneysDocument,
    "\n  mutation ConsolePauseJourney($input: PauseJourneyInput!) {\n    pauseJourney(input: $input) {\n      journey {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": types.ConsolePauseJourneyDocument,
    "\n  mutation ConsoleResumeJourney($input: ResumeJourneyInput!) {\n    resumeJourney(input: $input) {\n      journey {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": types.ConsoleResumeJourneyDocument,
    "\n  mutation ConsoleArchiveJourney($input: ArchiveJourneyInput!) {\n    archiveJourney(input: $input) {\n      journey {\n        id\n        status\n        instances {\n          active\n          completed\n          exited\n        }\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n": types.ConsoleArchiveJourneyDocument,
    "\n  query ConsoleSearchCustomers($query: ProfileSearchInput!) {\n    searchProfiles(query: $query, first: 20) {\n      totalCount\n      nodes {\n        id\n        userId\n        email\n        phone\n        journeyInstances(first: 10) {\n          totalCount\n          nodes {\n            id\n            journeyId\n            key\n            status\n            currentStep\n            startedAt\n            exitReason\n          }\n        }\n      }\n    }\n  }\n": types.ConsoleSearchCustomersDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSignInCheck {\n    journeys {\n      id\n    }\n  }\n"): (typeof documents)["\n  query ConsoleSignInCheck {\n    journeys {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleCustomer($userId: String!) {\n    profile(userId: $userId) {\n      id\n      userId\n      email\n      phone\n      country\n      locale\n      timezone\n      createdAt\n      updatedAt\n      traits\n      identities(first: 50) {\n        nodes {\n          id\n          kind\n          value\n          source\n          lastSeenAt\n        }\n      }\n      consent {\n        channel\n        purpose\n        status\n        source\n        updatedAt\n      }\n      journeyInstances(first: 20) {\n        nodes {\n          id\n          journeyId\n          key\n          status\n          currentStep\n          startedAt\n          exitReason\n        }\n      }\n      timeline(first: 50) {\n        nodes {\n          __typename\n          id\n          at\n          kind\n          ... on ProfileEvent {\n            call: type\n            name\n          }\n          ... on TimelineEntry {\n            entry: type\n            step\n          }\n          ... on Message {\n            channel\n            status\n            to\n            step\n          }\n          ... on OperatorAuditEntry {\n            action\n            outcome\n            target\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleCustomer($userId: String!) {\n    profile(userId: $userId) {\n      id\n      userId\n      email\n      phone\n      country\n      locale\n      timezone\n      createdAt\n      updatedAt\n      traits\n      identities(first: 50) {\n        nodes {\n          id\n          kind\n          value\n          source\n          lastSeenAt\n        }\n      }\n      consent {\n        channel\n        purpose\n        status\n        source\n        updatedAt\n      }\n      journeyInstances(first: 20) {\n        nodes {\n          id\n          journeyId\n          key\n          status\n          currentStep\n          startedAt\n          exitReason\n        }\n      }\n      timeline(first: 50) {\n        nodes {\n          __typename\n          id\n          at\n          kind\n          ... on ProfileEvent {\n            call: type\n            name\n          }\n          ... on TimelineEntry {\n            entry: type\n            step\n          }\n          ... on Message {\n            channel\n            status\n            to\n            step\n          }\n          ... on OperatorAuditEntry {\n            action\n            outcome\n            target\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleCustomerActivity($userId: String!) {\n    customerActivity(userId: $userId) {\n      cursor\n    }\n  }\n"): (typeof documents)["\n  subscription ConsoleCustomerActivity($userId: String!) {\n    customerActivity(userId: $userId) {\n      cursor\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleJourneys {\n    journeys {\n      id\n      key\n      description\n      status\n      version\n      instances {\n        active\n        completed\n        exited\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleJourneys {\n    journeys {\n      id\n      key\n      description\n      status\n      version\n      instances {\n        active\n        completed\n        exited\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsolePauseJourney($input: PauseJourneyInput!) {\n    pauseJourney(input: $input) {\n      journey {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsolePauseJourney($input: PauseJourneyInput!) {\n    pauseJourney(input: $input) {\n      journey {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleResumeJourney($input: ResumeJourneyInput!) {\n    resumeJourney(input: $input) {\n      journey {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleResumeJourney($input: ResumeJourneyInput!) {\n    resumeJourney(input: $input) {\n      journey {\n        id\n        status\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleArchiveJourney($input: ArchiveJourneyInput!) {\n    archiveJourney(input: $input) {\n      journey {\n        id\n        status\n        instances {\n          active\n          completed\n          exited\n        }\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleArchiveJourney($input: ArchiveJourneyInput!) {\n    archiveJourney(input: $input) {\n      journey {\n        id\n        status\n        instances {\n          active\n          completed\n          exited\n        }\n      }\n      userErrors {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSearchCustomers($query: ProfileSearchInput!) {\n    searchProfiles(query: $query, first: 20) {\n      totalCount\n      nodes {\n        id\n        userId\n        email\n        phone\n        journeyInstances(first: 10) {\n          totalCount\n          nodes {\n            id\n            journeyId\n            key\n            status\n            currentStep\n            startedAt\n            exitReason\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleSearchCustomers($query: ProfileSearchInput!) {\n    searchProfiles(query: $query, first: 20) {\n      totalCount\n      nodes {\n        id\n        userId\n        email\n        phone\n        journeyInstances(first: 10) {\n          totalCount\n          nodes {\n            id\n            journeyId\n            key\n            status\n            currentStep\n            startedAt\n            exitReason\n          }\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;