/**
 * The ManageIQ collections that support `set_ownership` (docs/compatibility.md §5.1, §5.2): for each, the
 * product feature that guards the action and the model class named in "Couldn't find <Class>"
 * and "Invalid <Class> id" messages (upstream `config/api.yml` klass). The collection name is
 * also the registry resource type (docs/compatibility.md §8.1): `vms/320` is registered as type `vms`, id `320`.
 */
export interface MiqCollection {
  readonly name: string;
  /** Product feature identifier; the Casbin permission is `manageiq:<feature>`. */
  readonly feature: string;
  readonly klass: string;
}

const TABLE: readonly MiqCollection[] = [
  { name: 'auth_key_pairs', feature: 'auth_key_pair_ownership', klass: 'ManageIQ::Providers::CloudManager::AuthKeyPair' },
  { name: 'cloud_templates', feature: 'image_ownership', klass: 'ManageIQ::Providers::CloudManager::Template' },
  { name: 'instances', feature: 'vm_ownership', klass: 'ManageIQ::Providers::CloudManager::Vm' },
  { name: 'service_templates', feature: 'catalogitem_ownership', klass: 'ServiceTemplate' },
  { name: 'services', feature: 'service_ownership', klass: 'Service' },
  { name: 'templates', feature: 'miq_template_ownership', klass: 'MiqTemplate' },
  { name: 'vms', feature: 'vm_ownership', klass: 'Vm' },
];

const BY_NAME = new Map(TABLE.map((c) => [c.name, c]));

export function miqCollection(name: string): MiqCollection | undefined {
  return BY_NAME.get(name);
}

/** The Casbin permission for the collection's ownership feature, e.g. `manageiq:vm_ownership`. */
export function ownershipPermission(c: MiqCollection): string {
  return `manageiq:${c.feature}`;
}

export const COLLECTION_NAMES: readonly string[] = TABLE.map((c) => c.name);
