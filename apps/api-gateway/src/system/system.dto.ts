import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class AlertsQuery {
  @ApiPropertyOptional({
    description: 'Recent alerts (raised or resolved) to return, newest first',
    default: 100,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 100;
}

export class UsageQuery {
  @ApiPropertyOptional({ description: 'Reports to return, newest first', default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  limit = 100;

  @ApiPropertyOptional({ description: "Platform keys only: one tenant's reports" })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(/^[A-Za-z0-9_.-]+$/, { message: 'tenant may hold letters, digits, ".", "_" and "-" only' })
  tenant?: string;
}
