"""Aliases from Terraform: block addresses and identifier values of blocks about the database."""

from __future__ import annotations

import re

from agent.discovery.aliases.context import FileContext, is_distinctive
from agent.discovery.models import Alias, AliasForm, SourceType
from agent.formats.hcl import Block, parse_blocks

#: Attributes that name the thing a block creates.
NAMING_ATTRIBUTES: frozenset[str] = frozenset(
    """
    identifier cluster_identifier name db_name database_name name_prefix instance_name
    db_instance_identifier cluster_id secret_id alarm_name replicate_source_db
    final_snapshot_identifier
    """.split()
)
#: Naming attributes whose value is another name of the database itself (an instance id).
_IDENTITY_ATTRIBUTES = frozenset({"identifier", "cluster_identifier", "db_name", "database_name"})
_INSTANCE_TYPE = re.compile(
    r"(?:sql|db|database|postgres|mysql|mariadb|redis|rds)_?\w*"
    r"(?:instance|cluster|server)"
)
_SECRET_TYPE = re.compile(r"secret|ssm_parameter|key_vault|vault_")
_DNS_TYPE = re.compile(r"route53_record|dns_record|dns_\w*_record|dns_record_set|record_set")
_STRING = re.compile(r'^"([^"$]+)"$')
_COMPOUND = re.compile(r"[-_0-9]")
_COLLECTION = re.compile(r"[\[,{]")
#: Resource types that exist for a database: instances, clusters, their groups and secrets.
_DATABASE_ISH = re.compile(
    r"db_|_db|rds|sql|database|postgres|mysql|mariadb|redshift|docdb|neptune|aurora|"
    r"elasticache|dynamodb|spanner|bigtable|cosmosdb|secretsmanager|ssm_parameter|"
    r"security_group|kms_|parameter_group|subnet_group|option_group|route53_record|dns_|"
    r"vault_|_secret"
)


def learn_from_terraform(ctx: FileContext) -> list[Alias]:
    """Addresses of blocks that exist for the database, and their instance identifiers."""
    if ctx.source_type is not SourceType.TERRAFORM:
        return []
    aliases: list[Alias] = []
    for block in ctx.derived("hcl_blocks", lambda: _blocks(ctx.lines)):
        if block.type == "locals":
            aliases.extend(_locals(ctx, block))
            continue
        if not _is_about_database(ctx, block):
            continue
        address = block.address
        if address is not None and not ctx.names_database(address):
            aliases.append(
                ctx.alias(
                    address,
                    AliasForm.ADDRESS,
                    block.start,
                    f"Terraform {block.type} defined for the database",
                    directory_scoped=True,
                )
            )
        identity = _IDENTITY_ATTRIBUTES
        if block.labels and _INSTANCE_TYPE.search(block.labels[0]):
            identity = identity | {"name"}  # Cloud SQL, Azure: the instance's name is its id
        if block.labels and _SECRET_TYPE.search(block.labels[0]):
            identity = identity | {"name", "secret_id"}  # a secret's name is how apps find it
        if block.labels and _DNS_TYPE.search(block.labels[0]):
            identity = identity | {"name"}  # a DNS record's name is the host apps connect to
        if (
            block.type == "resource"
            and len(block.labels) > 1
            and ctx.names_database(block.labels[-1])
        ):
            identity = identity | {"name"}  # made for it: a warehouse, a role, a bucket...
        for attribute in block.attributes:
            if attribute.name not in identity:
                continue
            value = _STRING.match(attribute.value.split("#")[0].strip())
            if value is None or ctx.names_database(value.group(1)):
                continue
            if is_distinctive(value.group(1)) and _COMPOUND.search(value.group(1)):
                aliases.append(
                    ctx.alias(
                        value.group(1),
                        AliasForm.IDENTIFIER,
                        attribute.start,
                        f"{attribute.name} of {address or block.type}",
                        repo_scoped=False,
                    )
                )
    return aliases


def _blocks(lines: list[str]) -> list[Block]:
    return parse_blocks([line.rstrip("\r") for line in lines])


def _is_about_database(ctx: FileContext, block: Block) -> bool:
    """A block named after the database, or a database-ish block whose name attribute is it.

    Other blocks that merely mention the database (an alarm on its CPU, a shared security
    group) are not the database's own: the rewrite handles them as dangling references.
    """
    if block.type not in ("resource", "data", "module", "variable"):
        return False
    if block.labels and ctx.names_database(block.labels[-1]):
        return True
    if block.type in ("resource", "data") and not _DATABASE_ISH.search(block.labels[0]):
        return False
    for attribute in block.attributes:
        if attribute.name in NAMING_ATTRIBUTES and attribute.start in ctx.refs:
            return True
    return False


def _locals(ctx: FileContext, block: Block) -> list[Alias]:
    aliases = []
    for attribute in block.attributes:
        # Only a local that *is* the reference; a shared list of hosts is not an alias.
        if attribute.start != attribute.end or _COLLECTION.search(attribute.value):
            continue
        if attribute.start in ctx.refs:
            address = f"local.{attribute.name}"
            if not ctx.names_database(attribute.name):
                aliases.append(
                    ctx.alias(
                        address,
                        AliasForm.ADDRESS,
                        attribute.start,
                        "Terraform local holding a reference",
                        directory_scoped=True,
                    )
                )
    return aliases
