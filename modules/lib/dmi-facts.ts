// The DMI facts of setup's hardware section (LinuxHardware.get_dmi_facts of 2.14: product_name,
// system_vendor, bios_*, board_*, chassis_*, form_factor...), which openshift-ansible's
// openshift_facts reads. Ansible reads /sys/devices/virtual/dmi/id/ when it has product_name (an
// empty or unreadable file is 'NA', chassis_type is named through the DMI spec's list), else runs
// `dmidecode -s` per fact (output without '#' lines; 'NA' when it fails), else every fact is 'NA'.

/** fact name → its file under /sys/devices/virtual/dmi/id and its `dmidecode -s` keyword. */
const DMI: [fact: string, file: string, keyword: string][] = [
  ['bios_date', 'bios_date', 'bios-release-date'],
  ['bios_vendor', 'bios_vendor', 'bios-vendor'],
  ['bios_version', 'bios_version', 'bios-version'],
  ['board_asset_tag', 'board_asset_tag', 'baseboard-asset-tag'],
  ['board_name', 'board_name', 'baseboard-product-name'],
  ['board_serial', 'board_serial', 'baseboard-serial-number'],
  ['board_vendor', 'board_vendor', 'baseboard-manufacturer'],
  ['board_version', 'board_version', 'baseboard-version'],
  ['chassis_asset_tag', 'chassis_asset_tag', 'chassis-asset-tag'],
  ['chassis_serial', 'chassis_serial', 'chassis-serial-number'],
  ['chassis_vendor', 'chassis_vendor', 'chassis-manufacturer'],
  ['chassis_version', 'chassis_version', 'chassis-version'],
  ['form_factor', 'chassis_type', 'chassis-type'],
  ['product_name', 'product_name', 'system-product-name'],
  ['product_serial', 'product_serial', 'system-serial-number'],
  ['product_uuid', 'product_uuid', 'system-uuid'],
  ['product_version', 'product_version', 'system-version'],
  ['system_vendor', 'sys_vendor', 'system-manufacturer'],
];

const FORM_FACTOR = [
  'Unknown', 'Other', 'Unknown', 'Desktop', 'Low Profile Desktop', 'Pizza Box', 'Mini Tower', 'Tower', 'Portable', 'Laptop', 'Notebook',
  'Hand Held', 'Docking Station', 'All In One', 'Sub Notebook', 'Space-saving', 'Lunch Box', 'Main Server Chassis', 'Expansion Chassis',
  'Sub Chassis', 'Bus Expansion Chassis', 'Peripheral Chassis', 'RAID Chassis', 'Rack Mount Chassis', 'Sealed-case PC', 'Multi-system',
  'CompactPCI', 'AdvancedTCA', 'Blade', 'Blade Enclosure', 'Tablet', 'Convertible', 'Detachable', 'IoT Gateway', 'Embedded PC', 'Mini PC',
  'Stick PC',
];

/** The facts script's part (inside the hardware section): `dmi_src` and one `dmi_<fact>` line per value read. */
export const DMI_SCRIPT = [
  '_dmi=/sys/devices/virtual/dmi/id',
  'if [ -e "$_dmi/product_name" ]; then',
  '  _kv dmi_src sys',
  ...DMI.map(([fact, file]) => `  [ -r "$_dmi/${file}" ] && _kv dmi_${fact} "$(tr '\\n' ' ' < "$_dmi/${file}" 2>/dev/null)"`),
  'elif command -v dmidecode >/dev/null 2>&1; then',
  '  _kv dmi_src dmidecode',
  ...DMI.map(([fact, , kw]) => `  _v=$(dmidecode -s ${kw} 2>/dev/null) && _kv dmi_${fact} "$(printf '%s\\n' "$_v" | grep -v '^#' | tr -d '\\n')"`),
  'fi',
].join('\n');

/** The DMI facts from the script's fields. */
export function dmiFacts(f: Record<string, string | undefined>): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const [fact] of DMI) {
    const raw = f[`dmi_${fact}`];
    if (f.dmi_src === 'sys') {
      // get_file_content: stripped, and empty is None ('NA')
      const v = raw?.trim();
      if (!v) facts[fact] = 'NA';
      else if (fact === 'form_factor') facts[fact] = FORM_FACTOR[Number.parseInt(v, 10)] ?? `unknown (${v})`;
      else facts[fact] = v;
    } else facts[fact] = f.dmi_src === 'dmidecode' && raw !== undefined ? raw : 'NA';
  }
  return facts;
}
