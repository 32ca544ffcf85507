/**
 * Langium's validation registry, with checks that stay synchronous when they are. Langium wraps
 * every check in two async functions (to turn a thrown error into a diagnostic), so each check of
 * each node costs a few promises and microtask turns even though every .flow check is
 * synchronous; on a 10 K-line workspace that was a large part of the validate phase. Here a check
 * runs directly and only a check that returns a promise is awaited: same order, same
 * diagnostics, and a thrown error becomes the same "An error occurred during validation" error.
 */
import { ValidationRegistry, isOperationCancelled, type AstNode, type ValidationAcceptor, type ValidationCheck } from 'langium';

const MESSAGE_CONTEXT = 'An error occurred during validation';

export class FlowValidationRegistry extends ValidationRegistry {
    protected override wrapValidationException(check: ValidationCheck, thisObj: unknown): ValidationCheck {
        return (node, accept, cancelToken) => {
            let result: ReturnType<ValidationCheck>;
            try {
                result = check.call(thisObj, node, accept, cancelToken);
            } catch (error) {
                reportCheckError(error, accept, node);
                return undefined;
            }
            return isPromise(result) ? result.catch((error: unknown) => reportCheckError(error, accept, node)) : undefined;
        };
    }
}

function isPromise(value: unknown): value is Promise<void> {
    return typeof (value as Promise<void> | undefined)?.then === 'function';
}

/** What Langium's `handleException` does with an error of a check: cancellation propagates, anything else becomes an error diagnostic. */
function reportCheckError(error: unknown, accept: ValidationAcceptor, node: AstNode): void {
    if (isOperationCancelled(error)) {
        throw error;
    }
    console.error(`${MESSAGE_CONTEXT}:`, error);
    if (error instanceof Error && error.stack) {
        console.error(error.stack);
    }
    const details = error instanceof Error ? error.message : String(error);
    accept('error', `${MESSAGE_CONTEXT}: ${details}`, { node });
}
