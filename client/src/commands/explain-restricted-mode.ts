/** Why Is Running Disabled?: the Restricted Mode explanation (the CodeLens points here). */
import { explainRestrictedMode } from '../trust/restricted-mode.js';

/** Explains why running is disabled in Restricted Mode. */
export function explainRestricted() {
    return (): Promise<void> => explainRestrictedMode();
}
