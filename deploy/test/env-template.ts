import { fileURLToPath } from 'node:url';
import { documentedVariables } from '@livetranslate/service-kit';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Every variable the apps read, from env.template (each app's env test keeps it complete). */
export const TEMPLATE_VARS = documentedVariables(`${REPO}env.template`);
