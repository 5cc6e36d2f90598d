import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** `limit` and `cursor` of every listing (sessions, bots): newest first, page with `next_cursor`. */
export class PageQuery {
  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'next_cursor of the previous page' })
  @IsOptional()
  @Matches(/^\d+$/, { message: 'cursor must be the next_cursor of a previous page' })
  cursor?: string;
}

/** A page's `next_cursor` as the API writes it: null on the last page. */
export function nextCursorOf(next: number | null): string | null {
  return next === null ? null : String(next);
}
