#!/usr/bin/env node
// A committed entry, so pnpm links the `lt` bin at install time, before the first build.
import '../dist/main.js';
