import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC filter turns every handler error into "Internal server error". On a stream
 * transport nobody reads a reply; the original error is what belongs in the log and the dead-letter
 * entry, so this filter passes it through. Register it with `app.useGlobalFilters(...)`.
 */
@Catch()
export class StreamErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
