/**
 * The ManageIQ collections that support `set_ownership` (docs/compatibility.md §5.1, §5.2): for each, the
 * product feature that guards the action and the model class named in "Couldn't find <Class>"
 * and "Invalid <Class> id" messages (upstream `config/api.yml` klass). The collection name is
 * also the registry resource type (docs/compatibility.md §8.1): `vms/320` is registered as type `vms`, id `320`.
 */
export interface MiqCollection {
  readonly name: string;
  /** The entry point's description of the collection (upstream `config/api.yml`). */
  readonly description: string;
  /** Product feature identifier; the Casbin permission is `manageiq:<feature>`. */
  readonly feature: string;
  /** Features guarding GET of the collection and of one resource (upstream's `read` actions). */
  readonly listFeature: string;
  readonly showFeature: string;
  readonly klass: string;
}

const TABLE: readonly MiqCollection[] = [
  {
    name: 'auth_key_pairs',
    description: 'Auth Key Pairs',
    feature: 'auth_key_pair_ownership',
    listFeature: 'auth_key_pair_cloud_show_list',
    showFeature: 'auth_key_pair_cloud_show',
    klass: 'ManageIQ::Providers::CloudManager::AuthKeyPair',
  },
  {
    name: 'cloud_templates',
    description: 'Cloud Templates',
    feature: 'image_ownership',
    listFeature: 'image_show_list',
    showFeature: 'image_show',
    klass: 'ManageIQ::Providers::CloudManager::Template',
  },
  {
    name: 'instances',
    description: 'Instances',
    feature: 'vm_ownership',
    listFeature: 'instance_show_list',
    showFeature: 'instance_show',
    klass: 'ManageIQ::Providers::CloudManager::Vm',
  },
  {
    name: 'service_templates',
    description: 'Service Templates',
    feature: 'catalogitem_ownership',
    listFeature: 'catalogitem_view',
    showFeature: 'catalogitem_view',
    klass: 'ServiceTemplate',
  },
  {
    name: 'services',
    description: 'Services',
    feature: 'service_ownership',
    listFeature: 'service_view',
    showFeature: 'service_view',
    klass: 'Service',
  },
  {
    name: 'templates',
    description: 'Templates',
    feature: 'miq_template_ownership',
    listFeature: 'miq_template_show_list',
    showFeature: 'miq_template_show',
    klass: 'MiqTemplate',
  },
  {
    name: 'vms',
    description: 'Virtual Machines',
    feature: 'vm_ownership',
    listFeature: 'vm_show_list',
    showFeature: 'vm_show',
    klass: 'Vm',
  },
];

const BY_NAME = new Map(TABLE.map((c) => [c.name, c]));

export function miqCollection(name: string): MiqCollection | undefined {
  return BY_NAME.get(name);
}

/** The Casbin permission for the collection's ownership feature, e.g. `manageiq:vm_ownership`. */
export function ownershipPermission(c: MiqCollection): string {
  return `manageiq:${c.feature}`;
}

/** The Casbin permission for reading the collection (`list`) or one of its resources (`show`). */
export function readPermission(c: MiqCollection, what: 'list' | 'show'): string {
  return `manageiq:${what === 'list' ? c.listFeature : c.showFeature}`;
}

/** Every collection, in name order (the entry point's order). */
export const COLLECTIONS: readonly MiqCollection[] = TABLE;

