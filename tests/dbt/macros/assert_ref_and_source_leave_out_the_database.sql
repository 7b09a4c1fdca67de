-- Rule: macros ref and source name a relation by schema and name only, without the database (a
-- view must read its own file whatever the file is called), and the relation they name is read.
with named as (
    select '{{ ref("regions") }}' as by_ref, '{{ source("raw", "reports") }}' as by_source,
        '"{{ ref("regions").schema }}"."{{ ref("regions").identifier }}"' as regions,
        (select count(*) from {{ ref('regions') }}) as region_rows
)
select * from named
where by_ref <> regions or by_source <> '"raw"."reports"' or region_rows = 0
