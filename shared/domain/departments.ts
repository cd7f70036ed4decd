import type { Deployment } from './deployment';

/** The department that takes what no other does (the general line): the last one the deployment lists. */
export function generalDepartment(deployment: Pick<Deployment, 'departments'>): string {
  const last = deployment.departments.at(-1);
  if (!last) throw new Error('a deployment has at least one department');
  return last.id;
}

/** Which department each queue serves, and the queue of each department: one map, read both ways. */
export class QueueMap {
  private readonly byQueue: ReadonlyMap<string, string>;
  private readonly byDepartment: ReadonlyMap<string, string>;

  constructor(readonly pairs: readonly (readonly [queue: string, department: string])[]) {
    this.byQueue = new Map(pairs);
    this.byDepartment = new Map(pairs.map(([queue, department]) => [department, queue]));
  }

  departmentOf(queue: string): string | undefined {
    return this.byQueue.get(queue);
  }

  queueOf(department: string): string | undefined {
    return this.byDepartment.get(department);
  }
}
