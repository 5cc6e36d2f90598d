import { Controller, Get, Param } from '@nestjs/common';
import { FaultInjector } from './fault-injection.js';

/** Lets a contract test see how many requests (retries included) a mock received for its key. */
@Controller('mock/requests')
export class MockRequestsController {
  constructor(private readonly faults: FaultInjector) {}

  @Get(':key')
  count(@Param('key') key: string) {
    return { key, requests: this.faults.requestsFor(key) };
  }
}
