import { Global, Module, type DynamicModule } from '@nestjs/common';

/** Provides the app's parsed environment under its token to every feature module. */
@Global()
@Module({})
export class AppEnvModule {
  static forRoot(token: symbol, env: object): DynamicModule {
    return { module: AppEnvModule, providers: [{ provide: token, useValue: env }], exports: [token] };
  }
}
