// The error type every attnkit function throws for bad input; messages name the function and argument.
export class AttnkitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttnkitError';
  }
}
