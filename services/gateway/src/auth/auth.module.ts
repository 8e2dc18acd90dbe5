import { Global, Module } from '@nestjs/common';
import { ApiKeyAuthenticator } from './api-key-authenticator';

/** API-key authentication, shared by the GraphQL guard and the graphql-ws connection handler. */
@Global()
@Module({ providers: [ApiKeyAuthenticator], exports: [ApiKeyAuthenticator] })
export class AuthModule {}
