/** A member of staff as the administration sees them: who, which role, which departments. */
export interface StaffMember {
  readonly username: string;
  readonly name?: string;
  readonly role: 'agent' | 'supervisor' | 'backoffice' | 'admin';
  /** For back-office users: the departments whose files they exchange. */
  readonly departments?: readonly string[];
  readonly enabled: boolean;
}

/** Where staff accounts live: Cognito in AWS, the deployment's users file locally. */
export interface StaffDirectory {
  list(): Promise<readonly StaffMember[]>;
}
