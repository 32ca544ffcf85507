/** A request about a job that cannot be done (savepoints): the REST status to answer with, and why. */
export class JobOperationError extends Error {
    constructor(readonly status: 400 | 404 | 409, message: string) {
        super(message);
        this.name = 'JobOperationError';
    }
}
