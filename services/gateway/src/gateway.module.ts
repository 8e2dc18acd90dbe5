import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { GatewayConfig } from '@continuum/config';
import { ApiKeyAuthenticator } from './auth/api-key-authenticator';
import { ApiKeyGuard } from './auth/api-key.guard';
import { AuthModule } from './auth/auth.module';
import { graphqlContext, graphqlWsOnConnect } from './auth/graphql-ws-auth';
import { GatewayExceptionFilter } from './common/gateway-exception.filter';
import { CoreModule } from './core/core.module';
import { EventsModule } from './events/events.module';
import { ConversationsModule } from './conversations/conversations.module';
import { RetentionModule } from './retention/retention.module';
import { HealthController } from './health/health.controller';
import { InboxModule } from './inbox/inbox.module';
import { BroadcastUpdatesModule } from './broadcast-updates/broadcast-updates.module';
import { NodeModule } from './node/node.module';
import { JourneysModule } from './journeys/journeys.module';
import { GraphqlLimits } from './limits/graphql-limits';
import { LimitsModule } from './limits/limits.module';
import { LiveModule } from './live/live.module';
import { OperatorsModule } from './operators/operators.module';
import { ObservabilityModule } from './observability/observability.module';
import { ProfilesModule } from './profiles/profiles.module';
import { TemplatesModule } from './templates/templates.module';
import { TimelineModule } from './timeline/timeline.module';
import { TrackingModule } from './tracking/tracking.module';
import { TransactionalModule } from './transactional/transactional.module';
import { AudiencesModule } from './audiences/audiences.module';
import { AdminModule } from './admin/admin.module';
import { OutboundWebhooksModule } from './outbound-webhooks/webhooks.module';
import { CodecModule } from './codec/codec.module';
import { PolicyModule } from './policy/policy.module';
import { DeliveryNotifier } from './webhooks/delivery-notifier';
import { SendGridInboundController } from './webhooks/sendgrid-inbound.controller';
import { SendGridWebhooksController } from './webhooks/sendgrid-webhooks.controller';
import { TwilioWebhooksController } from './webhooks/twilio-webhooks.controller';
import { InboundWorkspaces } from './webhooks/inbound-workspaces';
import { storableTextPlugin } from './validation/storable-text.plugin';
import { describeRootTypes } from './common/root-type-descriptions';
import { describeRequiredScopes } from './auth/requires-scope';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        CoreModule.forRoot(config),
        ObservabilityModule,
        AuthModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [AuthModule, LimitsModule],
          inject: [ApiKeyAuthenticator, GraphqlLimits],
          useFactory: (authenticator: ApiKeyAuthenticator, limits: GraphqlLimits): ApolloDriverConfig => ({
            // The committed schema.gql is written by `npm run schema`; a test keeps it current.
            autoSchemaFile: true,
            sortSchema: true,
            playground: false,
            introspection: true,
            includeStacktraceInErrorResponses: config.LOG_LEVEL === 'debug',
            // An API key over its rate is answered 429 before its document is parsed (limits/graphql-limits.ts).
            context: limits.rateLimitedContext(graphqlContext),
            // Subscriptions on the same path (ws://host:port/graphql), authenticated when the socket connects,
            // limited like HTTP requests and to GRAPHQL_MAX_SUBSCRIPTIONS_PER_KEY at once.
            subscriptions: { 'graphql-ws': { onConnect: graphqlWsOnConnect(authenticator), ...limits.graphqlWsHooks } },
            // Depth, alias, directive and token limits; cost, deadline and response size are in GraphqlLimitsPlugin.
            validationRules: limits.validationRules,
            parseOptions: limits.parseOptions,
            // Root types get their descriptions (no decorator carries them) and each root field its required
            // scope (auth/requires-scope.ts) before the limits wrap resolvers.
            transformSchema: (schema) => limits.transformSchema(describeRequiredScopes(describeRootTypes(schema))),
            // Field resolvers (profile.timeline, …) get the exception filter, so their errors carry a code too.
            // Guards stay on the root fields only: the request is authenticated once.
            fieldResolverEnhancers: ['filters'],
            // Text that PostgreSQL cannot store exactly is refused before any resolver runs.
            plugins: [storableTextPlugin],
          }),
        }),
        NodeModule,
        AdminModule,
        OutboundWebhooksModule,
        CodecModule,
        ProfilesModule,
        TimelineModule,
        EventsModule,
        JourneysModule,
        OperatorsModule,
        TemplatesModule,
        TrackingModule,
        TransactionalModule,
        AudiencesModule,
        LiveModule,
        InboxModule,
        BroadcastUpdatesModule,
        ConversationsModule,
        PolicyModule,
        RetentionModule,
      ],
      controllers: [HealthController, TwilioWebhooksController, SendGridWebhooksController, SendGridInboundController],
      providers: [
        DeliveryNotifier,
        InboundWorkspaces,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: GatewayExceptionFilter },
      ],
    };
  }
}
