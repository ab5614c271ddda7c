/**
 * A value a flag's type rejected. The message is docker's reason text only; the caller wraps it as
 * pflag does: invalid argument "VALUE" for "FLAG" flag: REASON.
 */
export class ValueError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ValueError';
  }
}
