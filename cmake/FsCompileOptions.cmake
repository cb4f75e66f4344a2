# One interface target carries the project's warnings and sanitizer flags; every first-party
# target links it. Generated code (protobuf, moc) lives in targets that do not.
add_library(fs_options INTERFACE)
target_compile_definitions(fs_options INTERFACE QT_NO_KEYWORDS QT_NO_CAST_FROM_ASCII QT_NO_URL_CAST_FROM_STRING)
target_compile_options(fs_options INTERFACE -Wall -Wextra -Wpedantic)
if(FS_WARNINGS_AS_ERRORS)
  target_compile_options(fs_options INTERFACE -Werror)
endif()

if(FS_SANITIZE)
  # Sanitizers apply to the whole build, so that third-party inline code in our objects is
  # instrumented consistently; -fno-sanitize-recover makes every UBSan report fatal.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# fs_add_library(<name> <sources...>): a first-party library with the project options.
function(fs_target_defaults target)
  target_link_libraries(${target} PRIVATE fs_options)
endfunction()
