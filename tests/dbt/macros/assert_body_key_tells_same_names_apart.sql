-- Rule: macro body_key keeps same-named bodies of different regions apart (鼓楼区 of 南京 vs 福州) and tolerates a NULL region.
with bodies as (
    select {{ body_key("'鼓楼区人民政府'", "'320106'") }} as nanjing,
        {{ body_key("'鼓楼区人民政府'", "'350102'") }} as fuzhou,
        {{ body_key("'鼓楼区人民政府'", "null") }} as unknown
)
select * from bodies where nanjing = fuzhou or unknown is null or unknown in (nanjing, fuzhou)
